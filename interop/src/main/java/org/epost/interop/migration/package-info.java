/**
 * The migration task: copies a user's folders and messages from the legacy IMAP server into their ePOST mailbox,
 * resumably (a per-user progress log), then moves their route to ePOST and makes a last delta pass.
 */
package org.epost.interop.migration;
