import { ApiProperty } from '@nestjs/swagger';

/** A link token and the URL it opens (see AuthService.linkToken). */
export class LinkTokenResponse {
  /** Pass as `?token=`; it is accepted within `expiresIn` seconds, by the resource it was issued for only. */
  @ApiProperty()
  token: string;
  @ApiProperty({ example: 60 })
  expiresIn: number;
  /** The resource's path with the token, to open as it is (`new EventSource(url)`, a download link); add the resource's own parameters. */
  @ApiProperty({ example: '/confidence/stream?token=…' })
  url: string;
}
