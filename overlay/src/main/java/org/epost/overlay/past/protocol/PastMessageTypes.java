package org.epost.overlay.past.protocol;

import org.epost.overlay.past.protocol.messages.ClosestReply;
import org.epost.overlay.past.protocol.messages.ClosestRequest;
import org.epost.overlay.past.protocol.messages.DigestReply;
import org.epost.overlay.past.protocol.messages.FetchReply;
import org.epost.overlay.past.protocol.messages.FetchRequest;
import org.epost.overlay.past.protocol.messages.HoldCheck;
import org.epost.overlay.past.protocol.messages.HoldConfirm;
import org.epost.overlay.past.protocol.messages.InsertReply;
import org.epost.overlay.past.protocol.messages.InsertRequest;
import org.epost.overlay.past.protocol.messages.LeaseCheck;
import org.epost.overlay.past.protocol.messages.LeaseConfirm;
import org.epost.overlay.past.protocol.messages.LeaseExtend;
import org.epost.overlay.past.protocol.messages.LeaseExtendReply;
import org.epost.overlay.past.protocol.messages.LeaseReply;
import org.epost.overlay.past.protocol.messages.LeaseRequest;
import org.epost.overlay.past.protocol.messages.LookupReply;
import org.epost.overlay.past.protocol.messages.LookupRequest;
import org.epost.overlay.past.protocol.messages.ReplicaDigest;
import org.epost.overlay.past.protocol.messages.StoreReply;
import org.epost.overlay.past.protocol.messages.StoreRequest;
import org.epost.overlay.wire.MessageTypes;

/** The PAST messages under their stable wire names. The names never change once deployed; add, never rename. */
public final class PastMessageTypes {
    private PastMessageTypes() {
    }

    public static MessageTypes register(MessageTypes types) {
        return types
                .register("past.insert", InsertRequest.class)
                .register("past.insert-reply", InsertReply.class)
                .register("past.store", StoreRequest.class)
                .register("past.store-reply", StoreReply.class)
                .register("past.lookup", LookupRequest.class)
                .register("past.lookup-reply", LookupReply.class)
                .register("past.fetch", FetchRequest.class)
                .register("past.fetch-reply", FetchReply.class)
                .register("past.lease", LeaseRequest.class)
                .register("past.lease-reply", LeaseReply.class)
                .register("past.lease-extend", LeaseExtend.class)
                .register("past.lease-extend-reply", LeaseExtendReply.class)
                .register("past.digest", ReplicaDigest.class)
                .register("past.digest-reply", DigestReply.class)
                .register("past.closest", ClosestRequest.class)
                .register("past.closest-reply", ClosestReply.class)
                .register("past.hold-check", HoldCheck.class)
                .register("past.hold-confirm", HoldConfirm.class)
                .register("past.lease-check", LeaseCheck.class)
                .register("past.lease-confirm", LeaseConfirm.class);
    }
}
