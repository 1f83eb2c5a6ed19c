// Express: @opentelemetry/instrumentation-http + instrumentation-express under ESM (loader hook).
import { nodeAdapter } from './node.js';

export const express = nodeAdapter('express');
