#!/usr/bin/env node
'use strict';
// pic-js spawns this file directly (no shell) in place of the pocket-ic binary, so it must be
// executable and must load the TypeScript sources itself.
require('tsx/cjs');
require('../src/main.ts').main(process.argv.slice(2));
