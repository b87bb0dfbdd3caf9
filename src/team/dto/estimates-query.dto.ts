import { AsOfQueryDto } from '../../common/query.js';

/** `?asOf=`: the chains as they stood then. */
export class EstimatesQueryDto extends AsOfQueryDto {}
