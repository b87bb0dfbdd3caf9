import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { UuidParam } from '../common/params.js';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { pageSchema, PageQueryDto, type Page } from '../common/pagination.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeyResponse, CreatedApiKeyResponse } from './dto/api-key.response.js';
import { CreateApiKeyDto } from './dto/create-api-key.dto.js';

@ApiTags('api-keys')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create an API key. The key is in this response only; it is stored hashed.' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    return this.apiKeys.create(principal, body);
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'List API keys (without the keys themselves).' })
  @ApiOkResponse({ type: pageSchema(ApiKeyResponse) })
  list(@Query() query: PageQueryDto): Promise<Page<ApiKeyResponse>> {
    return this.apiKeys.list(query);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key; it stops working at once.' })
  @ApiNoContentResponse()
  async revoke(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string): Promise<void> {
    await this.apiKeys.revoke(principal, id);
  }
}
