package org.epost.interop.migration;

import java.util.Date;

import javax.mail.Flags;

/** What the legacy server tells about one message before its content is fetched. */
public record SourceMessage(long uid, long size, Date internalDate, Flags flags) {
}
