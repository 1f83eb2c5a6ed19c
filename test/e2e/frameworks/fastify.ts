// Fastify: @fastify/otel, the official Fastify instrumentation.
import { nodeAdapter } from './node.js';

export const fastify = nodeAdapter('fastify');
