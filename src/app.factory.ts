import { INestApplication } from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost, NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { addSecuritySchemes } from './auth/security-schemes';
import { DatabaseOutage } from './common/db-outage';
import { GitlabExceptionFilter } from './common/gitlab-exception.filter';
import { addCapturedExamples, addSharedResponses, addTrailingSlashAliases, orderTags } from './common/openapi-document';
import { validationPipe } from './common/validation';
import { AppConfig } from './config/config';
import { AppLogger } from './http/app-logger';
import { configureHttp, createHttpAdapter } from './http/http-setup';

export interface CreateAppOptions {
  /** Buffer logs until the pino logger is ready (the service); tests pass false. */
  bufferLogs?: boolean;
  /** Destination of the JSON log lines instead of standard output. */
  logStream?: DestinationStream;
}

/** Builds the application with every global concern wired in, as the service, the tests and the OpenAPI script use it. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config, options.logStream), await createHttpAdapter(config), {
    bodyParser: false,
    bufferLogs: options.bufferLogs ?? false,
    abortOnError: false,
    logger: options.bufferLogs === false ? false : undefined,
  });
  app.useLogger(app.get(AppLogger));
  configureHttp(app, config);
  app.useGlobalFilters(new GitlabExceptionFilter(app.get(HttpAdapterHost), app.get(DatabaseOutage)));
  app.useGlobalPipes(validationPipe());
  // built on the first request for it, not at every start
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    swaggerOptions: { persistAuthorization: true },
    customSiteTitle: 'gitlab-internal-api',
  });
  return app;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = addSecuritySchemes(
    new DocumentBuilder()
      .setTitle('gitlab-internal-api')
      .setDescription(
        "GitLab's internal API: the HTTP surface called by GitLab Shell, gitlab-sshd and Gitaly (git access, keys, LFS), " +
          'the Kubernetes agent server (kas), the billing portal (CustomersDot), identity providers (SCIM 2.0) and the ' +
          'error-tracking backend, plus admin fixture routes shaped like GitLab\'s REST API. ' +
          'A trailing slash never changes a path: `PATH/` is `PATH`.',
      )
      .setVersion('17.11.0')
      .setLicense('MIT', 'https://opensource.org/licenses/MIT'),
  );
  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (_controllerKey: string, methodKey: string) => methodKey,
  });
  addSharedResponses(document);
  addTrailingSlashAliases(document);
  addCapturedExamples(document);
  orderTags(document);
  return document;
}

export { APP_FILTER };
