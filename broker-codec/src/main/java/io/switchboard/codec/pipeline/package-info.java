/** Small, protocol-independent pipeline handlers shared by the dialects. */
package io.switchboard.codec.pipeline;
