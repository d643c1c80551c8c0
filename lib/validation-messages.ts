import { en } from 'zod/locales';
import { config } from 'zod/v4/core';

// zod/mini carries no messages of its own: English ones for every problem we report. Imported for this effect alone.
config(en());
