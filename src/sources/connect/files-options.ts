import { z } from 'zod';
import { badInput } from '../../util/fathom-error.js';

const schema = z
  .object({
    delimiter: z.string().min(1).max(4),
    quote: z.string().max(1),
    escape: z.string().max(1),
    header: z.boolean(),
    encoding: z.string().min(1),
    /** Set malformed CSV rows aside instead of failing. */
    quarantine: z.boolean(),
  })
  .partial()
  .strict();

export type FilesOptions = z.infer<typeof schema>;

/** A files source's options, checked: an unknown or mistyped option is named, not ignored. */
export function parseFilesOptions(source: string, options: unknown): FilesOptions {
  const parsed = schema.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`);
  throw badInput(
    `Source ${source} has invalid options: ${problems.join('; ')}`,
    'Files sources take delimiter, quote, escape, header (true/false), encoding and quarantine (true/false).',
  );
}
