package io.switchboard.core.deadline;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;

/**
 * One pending request: its handle, its timeout task and, once resolved, its resolution, all in one object so that a
 * request costs one allocation besides its timeout. The first {@link #claim} wins; the winner alone writes the
 * result fields, then hands the entry to the executor, which publishes them to the callback.
 */
final class PendingEntry<K, C, R> implements Registration, Resolution<K, C, R>, TimeoutTask, Runnable {
  private static final int PENDING = -1;
  private static final Outcome[] OUTCOMES = Outcome.values();
  @SuppressWarnings("rawtypes")
  private static final AtomicIntegerFieldUpdater<PendingEntry> STATE =
      AtomicIntegerFieldUpdater.newUpdater(PendingEntry.class, "state");

  private final PendingRequests<K, C, R> table;
  final K key;
  final C context;
  final Object group;
  final Executor executor;
  private final Consumer<? super Resolution<K, C, R>> callback;
  final long registeredAt;
  private final long deadline;
  private volatile int state = PENDING;
  volatile Timeout timeout;
  private R reply;
  private String failure;
  private long resolvedAt;

  PendingEntry(PendingRequests<K, C, R> table, K key, C context, Object group, Executor executor,
      Consumer<? super Resolution<K, C, R>> callback, long registeredAt, long deadline) {
    this.table = table;
    this.key = key;
    this.context = context;
    this.group = group;
    this.executor = executor;
    this.callback = callback;
    this.registeredAt = registeredAt;
    this.deadline = deadline;
  }

  /** Moves PENDING to {@code outcome}; true for exactly one caller. */
  boolean claim(Outcome outcome) {
    return STATE.compareAndSet(this, PENDING, outcome.ordinal());
  }

  boolean resolved() {
    return state != PENDING;
  }

  /** Called by the claim's winner only. */
  void settle(R reply, String failure, long resolvedAt) {
    this.reply = reply;
    this.failure = failure;
    this.resolvedAt = resolvedAt;
  }

  /** Runs on the wheel thread at the deadline (direct executor): bookkeeping only, the callback goes elsewhere. */
  @Override
  public void run(Timeout t) {
    table.expire(this, t.scheduledAtNanos() + t.elapsedNanos());
  }

  /** Runs on the entry's executor: delivers the resolution. */
  @Override
  public void run() {
    callback.accept(this);
  }

  @Override
  public boolean accepted() {
    return true;
  }

  @Override
  public Refusal refusal() {
    return null;
  }

  @Override
  public boolean cancel() {
    return table.cancel(this);
  }

  @Override
  public K key() {
    return key;
  }

  @Override
  public C context() {
    return context;
  }

  @Override
  public Outcome outcome() {
    int s = state;
    return s == PENDING ? null : OUTCOMES[s];
  }

  @Override
  public R reply() {
    return reply;
  }

  @Override
  public String failure() {
    return failure;
  }

  @Override
  public long deadlineNanos() {
    return deadline;
  }

  @Override
  public long elapsedNanos() {
    return resolvedAt - registeredAt;
  }

  @Override
  public String toString() {
    return "PendingRequest[" + outcome() + ", context=" + context + ']';
  }
}
