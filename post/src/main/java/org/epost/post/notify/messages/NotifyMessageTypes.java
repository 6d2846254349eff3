package org.epost.post.notify.messages;

import org.epost.overlay.wire.MessageTypes;

/** The notification protocol's messages under their stable wire names: add, never rename. */
public final class NotifyMessageTypes {
    private NotifyMessageTypes() {
    }

    public static MessageTypes register(MessageTypes types) {
        return types
                .register("post.notify.deliver", NotifyDeliver.class)
                .register("post.notify.receipt", NotifyReceipt.class)
                .register("post.notify.delegate", NotifyDelegate.class)
                .register("post.notify.kept", NotifyKept.class)
                .register("post.notify.presence", NotifyPresence.class)
                .register("post.notify.refusal", NotifyRefusal.class)
                .register("post.notify.box-refusal", NotifyBoxRefusal.class)
                .register("post.notify.receipts", NotifyReceipts.class);
    }
}
