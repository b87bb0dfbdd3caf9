import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config.service.js';
import { environment } from './environment.js';

@Global()
@Module({
  imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [environment] })],
  providers: [AppConfig],
  exports: [AppConfig],
})
export class AppConfigModule {}
