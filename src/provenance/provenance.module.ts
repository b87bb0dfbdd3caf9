import { Module } from '@nestjs/common';
import { CorroborationRepository } from './corroboration.repository.js';
import { CorroborationService } from './corroboration.service.js';
import { DerivationsController } from './derivations.controller.js';
import { DerivationsRepository } from './derivations.repository.js';
import { DerivationsService } from './derivations.service.js';
import { EchoRepository } from './echo.repository.js';
import { EchoService } from './echo.service.js';
import { OriginatorsController } from './originators.controller.js';
import { OriginatorsRepository } from './originators.repository.js';
import { OriginatorsService } from './originators.service.js';

/** Where information comes from: originators, derived sources, echo detection, and the corroboration rule kept on every claim. */
@Module({
  controllers: [OriginatorsController, DerivationsController],
  providers: [CorroborationRepository, CorroborationService, DerivationsRepository, DerivationsService, EchoRepository, EchoService, OriginatorsRepository, OriginatorsService],
  exports: [CorroborationService, EchoService, OriginatorsService],
})
export class ProvenanceModule {}
