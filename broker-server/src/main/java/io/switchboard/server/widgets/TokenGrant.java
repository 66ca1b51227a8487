package io.switchboard.server.widgets;

/**
 * A publish token's binding (widgets.md §3): valid while its subscription is open ({@code closedAt} is
 * {@link Long#MAX_VALUE}) and for the grace period after it closed.
 */
final class TokenGrant {
  final String token;
  final String streamId;
  final String userId;
  volatile long closedAtMillis = Long.MAX_VALUE;
  /** Open subscriptions using this token (a resume may reuse it while the old one is still closing). */
  int open;

  TokenGrant(String token, String streamId, String userId) {
    this.token = token;
    this.streamId = streamId;
    this.userId = userId;
  }

  boolean validAt(long nowMillis, long graceMillis) {
    long closed = closedAtMillis;
    return closed == Long.MAX_VALUE || nowMillis - closed < graceMillis;
  }
}
