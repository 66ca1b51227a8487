/** JMH benchmarks and the load harness. */
package io.switchboard.bench;
