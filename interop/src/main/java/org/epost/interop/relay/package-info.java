/** Relaying the mail of users still on the legacy server there, over SMTP or LMTP, from James's spool. */
package org.epost.interop.relay;
