package org.epost.peer.queue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import javax.jms.JMSException;
import javax.jms.Message;

/**
 * A spooled JMS message seen with its opened envelope: the property getters answer from the envelope's properties
 * (falling back to the message's own clear ones), everything else is the message's. This is what James's
 * {@code populateMail} reads the sender, recipients and attributes from, so it rebuilds the mail unchanged.
 */
final class OpenedEnvelope {
    private OpenedEnvelope() {
    }

    static Message view(Message sealed, Map<String, Object> envelope) {
        return (Message) Proxy.newProxyInstance(Message.class.getClassLoader(), new Class<?>[] {Message.class},
            (proxy, method, args) -> {
                String name = args != null && args.length == 1 && args[0] instanceof String s ? s : null;
                switch (method.getName()) {
                    case "getObjectProperty":
                        return value(sealed, envelope, name);
                    case "getStringProperty": {
                        Object value = value(sealed, envelope, name);
                        return value == null ? null : value.toString();
                    }
                    case "getLongProperty":
                        return number(sealed, envelope, name).longValue();
                    case "getIntProperty":
                        return number(sealed, envelope, name).intValue();
                    case "getBooleanProperty":
                        return Boolean.parseBoolean(String.valueOf(value(sealed, envelope, name)));
                    case "propertyExists":
                        return envelope.containsKey(name) || sealed.propertyExists(name);
                    case "getPropertyNames": {
                        Set<Object> names = new LinkedHashSet<>(envelope.keySet());
                        names.addAll(Collections.list(sealed.getPropertyNames()));
                        return Collections.enumeration(names);
                    }
                    default:
                        try {
                            return method.invoke(sealed, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                }
            });
    }

    private static Object value(Message sealed, Map<String, Object> envelope, String name) throws JMSException {
        return envelope.containsKey(name) ? envelope.get(name) : sealed.getObjectProperty(name);
    }

    /** As JMS converts: a number as is, text parsed, absent a NumberFormatException. */
    private static Number number(Message sealed, Map<String, Object> envelope, String name) throws JMSException {
        Object value = value(sealed, envelope, name);
        return value instanceof Number n ? n : Long.valueOf(String.valueOf(value));
    }
}
