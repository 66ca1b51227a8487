/**
 * The open-loop load harness behind {@code scripts/bench}: one Netty client on few event loops drives each target
 * (switchboard, the bare-Netty baseline, nats-server) in turn, started as child processes, and records latency from
 * the intended send time of the schedule (corrected for coordinated omission) with HdrHistogram.
 */
package io.switchboard.bench.harness;
