/**
 * Exact sliding-window quotas (bots.md §7): {@link io.switchboard.core.quota.SlidingWindowQuota} admits a message
 * only if fewer than the quota were accepted from the same principal in the last window, and records the acceptance
 * in the same atomic store batch as the message, so the window survives restarts.
 */
package io.switchboard.core.quota;
