package org.epost.post.notify;

import java.util.List;

import org.epost.overlay.api.Application;
import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.scribe.ScribeClient;
import org.epost.post.notify.messages.NotifyBoxRefusal;
import org.epost.post.notify.messages.NotifyDelegate;
import org.epost.post.notify.messages.NotifyDeliver;
import org.epost.post.notify.messages.NotifyKept;
import org.epost.post.notify.messages.NotifyPresence;
import org.epost.post.notify.messages.NotifyReceipt;
import org.epost.post.notify.messages.NotifyReceipts;
import org.epost.post.notify.messages.NotifyRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The overlay application {@value NotificationService#APPLICATION} and the presence groups' Scribe client: hands
 * every incoming message to the role it is for, and drops everything while the service is stopped. Upcalls run on
 * the node thread.
 */
final class NotifyDispatcher implements Application {
    // one log category for the whole service: operators' settings and tests name NotificationService
    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);

    private final NotifyNode node;
    private final SendingRole sending;
    private final DelegateRole delegates;
    private final HomeRole home;
    private final DelegatedSends delegatedSends;
    /** Apart from this class because Scribe's upcall has the same signature as the overlay's. */
    private final ScribeClient presenceUpcalls = new ScribeClient() {
        @Override
        public void deliver(Id group, Message message) {
            onPresence(group, message);
        }
    };

    NotifyDispatcher(NotifyNode node, SendingRole sending, DelegateRole delegates, HomeRole home,
                     DelegatedSends delegatedSends) {
        this.node = node;
        this.delegatedSends = delegatedSends;
        this.sending = sending;
        this.delegates = delegates;
        this.home = home;
    }

    /** What the delegates join the presence groups with. */
    ScribeClient presenceUpcalls() {
        return presenceUpcalls;
    }

    /** A routed message: nobody vouches for who sent it. */
    @Override
    public void deliver(Id key, Message msg) {
        dispatch(null, msg);
    }

    /** A message straight from {@code sender}, whose id its authenticated link (or this node itself) vouches for. */
    @Override
    public void deliverDirect(NodeHandle sender, Id localKey, Message msg) {
        dispatch(sender, msg);
    }

    private void dispatch(NodeHandle linkSender, Message msg) {
        if (!node.running()) {
            node.count("dropped.not-running");
            return;
        }
        if (msg instanceof NotifyDeliver m) {
            home.onDeliver(linkSender, m);
        } else if (msg instanceof NotifyReceipt m) {
            onReceipt(m);
        } else if (msg instanceof NotifyReceipts m) {
            onReceipts(m);
        } else if (msg instanceof NotifyRefusal m) {
            onRefusal(m);
        } else if (msg instanceof NotifyBoxRefusal m) {
            onBoxRefusal(m);
        } else if (msg instanceof NotifyDelegate m) {
            delegates.onDelegate(linkSender, m);
        } else if (msg instanceof NotifyKept m) {
            sending.onKept(linkSender, m);
        } else {
            LOG.warn("{}: unexpected message {}; dropped", node.self(), msg == null ? null : msg.getClass().getName());
        }
    }

    /** A receipt ends a send of this node's if there is one for its id, else a delegation kept here. */
    private void onReceipt(NotifyReceipt m) {
        if (m.id() == null || m.id().length != Notification.ID_BYTES || m.recipient() == null) {
            LOG.warn("{}: malformed receipt; dropped", node.self());
            node.count("rejected.receipt");
            return;
        }
        if (!sending.onReceipt(m)) {
            delegates.onReceipt(m);
        }
    }

    /** A receipt batch ends the sends of this node's it names, and the delegations kept here it names. */
    private void onReceipts(NotifyReceipts m) {
        ReceiptBatch batch;
        try {
            batch = ReceiptBatch.decode(m.batch());
        } catch (MalformedNotificationException e) {
            LOG.warn("{}: {}; dropped", node.self(), e.getMessage());
            node.count("rejected.receipt");
            return;
        }
        List<byte[]> others = sending.onReceipts(batch, m.batch(), m.signature());
        if (!others.isEmpty()) {
            delegates.onReceipts(batch, m.batch(), m.signature(), others);
        }
    }

    /**
     * A negative receipt, like a receipt, ends a send of this node's; else it is for a send delegated from here
     * (forwarded by a delegate: a bounce), or for a delegation kept here, or both (this node may keep its own).
     */
    private void onRefusal(NotifyRefusal m) {
        Refusal refusal;
        try {
            refusal = Refusal.decode(m.refusal());
        } catch (MalformedNotificationException e) {
            LOG.warn("{}: {}; dropped", node.self(), e.getMessage());
            node.count("rejected.refusal");
            return;
        }
        if (!sending.onRefusal(refusal, m.signature())) {
            delegatedSends.onRefusal(refusal, m.signature());
            delegates.onRefusal(refusal, m.signature());
        }
    }

    /** A box refusal is only ever for a delegation kept here: senders' own boxes open. */
    private void onBoxRefusal(NotifyBoxRefusal m) {
        BoxRefusal refusal;
        try {
            refusal = BoxRefusal.decode(m.refusal());
        } catch (MalformedNotificationException e) {
            LOG.warn("{}: {}; dropped", node.self(), e.getMessage());
            node.count("rejected.box-refusal");
            return;
        }
        delegates.onBoxRefusal(refusal, m.signature());
    }

    private void onPresence(Id group, Message message) {
        if (!node.running()) {
            return;
        }
        if (!(message instanceof NotifyPresence p) || p.recipient() == null) {
            LOG.warn("{}: unexpected message on presence group {}; ignored", node.self(), group);
            return;
        }
        delegates.onPresence(group, p);
    }
}
