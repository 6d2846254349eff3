package org.epost.durability.glacier;

import org.epost.durability.glacier.messages.AuditQuery;
import org.epost.durability.glacier.messages.AuditReply;
import org.epost.durability.glacier.messages.FragmentGet;
import org.epost.durability.glacier.messages.FragmentGetReply;
import org.epost.durability.glacier.messages.FragmentLeaseExtend;
import org.epost.durability.glacier.messages.FragmentPut;
import org.epost.durability.glacier.messages.FragmentPutReply;
import org.epost.durability.glacier.messages.PointerGet;
import org.epost.durability.glacier.messages.PointerGetReply;
import org.epost.durability.glacier.messages.PointerPut;
import org.epost.overlay.wire.MessageTypes;

/** Glacier's messages under their stable wire names. The names never change once deployed; add, never rename. */
public final class GlacierMessageTypes {
    private GlacierMessageTypes() {
    }

    public static MessageTypes register(MessageTypes types) {
        return types
            .register("glacier.put", FragmentPut.class)
            .register("glacier.put-reply", FragmentPutReply.class)
            .register("glacier.get", FragmentGet.class)
            .register("glacier.get-reply", FragmentGetReply.class)
            .register("glacier.audit", AuditQuery.class)
            .register("glacier.audit-reply", AuditReply.class)
            .register("glacier.lease", FragmentLeaseExtend.class)
            .register("glacier.pointer", PointerPut.class)
            .register("glacier.pointer-get", PointerGet.class)
            .register("glacier.pointer-get-reply", PointerGetReply.class);
    }
}
