import { ValidationError, ValidationPipe } from '@nestjs/common';
import { paramError } from './api-error';

function messages(errors: ValidationError[], parent = ''): string[] {
  const out: string[] = [];
  for (const e of errors) {
    const name = parent ? `${parent}[${e.property}]` : e.property;
    if (e.constraints) out.push(`${name} is invalid`);
    if (e.children?.length) out.push(...messages(e.children, name));
  }
  return out;
}

/** DTO validation: coercion and `whitelist` without `forbidNonWhitelisted`; failures as one Grape-style string. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    transform: true,
    forbidNonWhitelisted: false,
    exceptionFactory: (errors) => paramError(...[...new Set(messages(errors))]),
  });
}
