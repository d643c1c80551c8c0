import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs; `injectLambdaContext` in the HTTP stack adds the request id and cold-start flag. */
export const logger = new Logger({ serviceName: 'clipiq' });
