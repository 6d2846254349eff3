/**
 * The logs this process keeps open: one {@link org.epost.mailbox.storage.UserAccount} per user and one
 * {@link org.epost.mailbox.storage.Folder} per folder, each log with one writer and a read/write lock
 * ({@link org.epost.mailbox.storage.LoggedState}), and where a user's keys and stores come from
 * ({@link org.epost.mailbox.storage.PostMailboxStorage}).
 */
package org.epost.mailbox.storage;
