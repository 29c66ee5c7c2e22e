#!/usr/bin/env node
'use strict';
// The `deflow` command: loads the TypeScript sources through tsx (as the localnet binary does).
require('tsx/cjs');
require('../main.ts').runAsProcess(process.argv.slice(2));
