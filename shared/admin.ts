import { z } from 'zod';
import { idSchema, roleSchema } from './schemas.js';

/**
 * The administration section's people and categories (issue 12 item 9): one definition, used by the
 * desk (electron/core/admin) and the server (accounts.ts, admin.ts). The password policy
 * (length, guessability) is the server's alone: it adds it and answers naming `password`.
 */

/** Invite a person or change one (role, group, active). A new person needs an initial password. */
export const adminUserSchema = z.object({
  id: idSchema.optional(),
  name: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  role: roleSchema,
  groupName: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  password: z.string().min(1, 'required').max(1024, 'at most 1024 characters').optional(),
  active: z.boolean().default(true),
}).strict().superRefine((u, ctx) => {
  if (!u.id && u.password === undefined) ctx.addIssue({ code: 'custom', path: ['password'], message: 'required' });
});

/** A category (root) or a subcategory (with a root parent). */
export const adminCategorySchema = z.object({
  id: idSchema.regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only'),
  parentId: idSchema.nullable().default(null),
  code: z.string().trim().min(1, 'required').max(64, 'at most 64 characters'),
  nameZh: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  nameEn: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
}).strict();
