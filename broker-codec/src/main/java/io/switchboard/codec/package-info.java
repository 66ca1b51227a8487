/** Wire formats and Netty handlers. Knows no broker state. */
package io.switchboard.codec;
