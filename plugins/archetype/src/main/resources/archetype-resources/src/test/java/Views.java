package ${package};

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Stand-ins for the views Graft hands to a plugin ({@code StepContext}, {@code ModelView}, {@code Parameter},
 * ...), answering the methods a test names and refusing the rest. A proxy rather than a class implementing
 * the view: a new minor version of graft-api may add methods to views, and a test must keep compiling.
 */
final class Views {

    private Views() {}

    /**
     * @param type a view interface
     * @param answers method name to the value it returns (whatever the arguments)
     * @param <T> the view
     * @return a view that answers those methods, runs the interface's default methods and throws for the rest
     */
    static <T> T of(Class<T> type, Map<String, ?> answers) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (answers.containsKey(name)) {
                return answers.get(name);
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            switch (name) {
                case "toString":
                    return type.getSimpleName() + answers.keySet();
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    throw new UnsupportedOperationException("this test gives no " + type.getSimpleName() + "." + name);
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
