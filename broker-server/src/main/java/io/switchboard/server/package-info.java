/** The switchboard server: listeners, dispatch, dialect endpoints, admin API and the binary. */
package io.switchboard.server;
