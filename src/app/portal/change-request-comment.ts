/** The customer's comment when asking for changes through a portal (quotes and orders): trimmed, required, bounded. */
import { invalid } from '../../core/shared/errors.js';

export function changeRequestComment(input: { comment: string }, maxLength: number): string {
  const comment = input.comment.trim();
  if (comment === '') throw invalid('comment', 'comment is required: say what you would like changed');
  if (comment.length > maxLength) throw invalid('comment', `comment must be at most ${maxLength} characters`);
  return comment;
}
