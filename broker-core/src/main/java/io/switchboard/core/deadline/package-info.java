/**
 * Request/reply with deadlines: a timing wheel ({@link io.switchboard.core.deadline.DeadlineTimer}) and a bounded
 * table of pending requests ({@link io.switchboard.core.deadline.PendingRequests}) in which each request resolves
 * exactly once, by its reply, its deadline, a cancel or the loss of the connection that would answer.
 */
package io.switchboard.core.deadline;
