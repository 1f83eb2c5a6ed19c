// Express: the server span from the app's own middleware (src/http-telemetry.ts); instrumentation-http for outgoing requests.
import { nodeAdapter } from './node.js';

export const express = nodeAdapter('express');
