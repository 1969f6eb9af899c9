#!/usr/bin/env node
// The installed CLI runs the compiled build (`npm ci` builds it through `prepare`).
import '../dist/cli/entry.js';
