// The framework's own floor: a minimal Nest application with one controller answering GET
// /api/v4/internal/check with the same JSON as the service (no authentication, no database, no global pipeline),
// on the adapter named by the first argument.
//   node bench/minimal-nest.mjs <express|fastify>    (env: PORT)
// Prints "ready <port>" once listening.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

const adapter = process.argv[2] ?? 'express';
const checkBody = { api_version: 'v4', gitlab_version: '17.11.0', gitlab_rev: 'bench', redis: false, gitlab_revision: 'bench' };

class CheckController {
  check() {
    return checkBody;
  }
}
Controller('api/v4/internal')(CheckController);
Get('check')(CheckController.prototype, 'check', Object.getOwnPropertyDescriptor(CheckController.prototype, 'check'));

class MinimalModule {}
Module({ controllers: [CheckController] })(MinimalModule);

let app;
if (adapter === 'fastify') {
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  app = await NestFactory.create(MinimalModule, new FastifyAdapter(), { logger: false });
} else {
  app = await NestFactory.create(MinimalModule, { logger: false });
}
await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.stdout.write(`ready ${app.getHttpServer().address().port}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
