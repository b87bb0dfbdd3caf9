import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

/** Opts a controller or route out of authentication; everything else requires it. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
