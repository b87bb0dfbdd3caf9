import { ApiProperty } from '@nestjs/swagger';

export class BlindTopicResponse {
  @ApiProperty({ example: 'arms', description: 'Topics are compared in lower case.' })
  topic: string;
  @ApiProperty({ description: 'Current claims with this topic.' })
  claims: number;
  @ApiProperty()
  createdAt: Date;
}

export class BlindTopicList {
  @ApiProperty({ type: [BlindTopicResponse] })
  items: BlindTopicResponse[];
}
