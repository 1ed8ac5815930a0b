/**
 * Trigger conditions for growth and pruning: {@code plateau}, {@code schedule} and {@code task-boundary} are
 * events (true at the moment something happened), {@code budget} is a guard (true for as long as a condition
 * holds). Each plugin is one condition; an action combines them as ALL of its guards and ANY of its events,
 * e.g. "grow on plateau within a budget" is the guard {@code budget} with the event {@code plateau}. The
 * caller must ask every trigger on every call, without short-circuiting, because events such as
 * {@code plateau} learn from each call.
 */
package io.graft.plugin.triggers;
