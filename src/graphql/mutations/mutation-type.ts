import { builder } from '../builder.js';

builder.mutationType({
  description:
    'Entry points for changes. Each mutation takes one `input` and returns a payload naming the object it touched. Needs a key with write scope on the workflow concerned (or admin).',
});
