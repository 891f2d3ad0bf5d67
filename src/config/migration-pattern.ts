/**
 * Supabase CLI's own migration file pattern: `<digits>_<name>.sql`. Its own file: the migration
 * guard needs it without the schema (and zod) behind it.
 */
export const SUPABASE_MIGRATION_PATTERN = '^([0-9]+)_(.*)\\.sql$';
