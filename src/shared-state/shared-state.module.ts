import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { connectRedis } from './redis';
import { InProcessSharedState, REDIS_CLIENT, RedisSharedState, SharedState } from './shared-state.service';

@Global()
@Module({})
export class SharedStateModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.redisUrl) {
      return { module: SharedStateModule, providers: [{ provide: SharedState, useClass: InProcessSharedState }], exports: [SharedState] };
    }
    const url = config.redisUrl;
    return {
      module: SharedStateModule,
      providers: [
        { provide: REDIS_CLIENT, useFactory: () => connectRedis(url, config.redisPrefix) },
        { provide: SharedState, useClass: RedisSharedState },
      ],
      exports: [SharedState, REDIS_CLIENT],
    };
  }
}
