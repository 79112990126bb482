import com.sun.tools.attach.VirtualMachine;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Used by scripts/profile.sh (run in source-file mode: {@code java JvmControl.java ...}) to talk to
 * the running gateway JVM through the attach API, which is what async-profiler's own asprof does:
 *
 * <pre>
 *   java JvmControl.java agent PID /path/libasyncProfiler.so "start,event=cpu,interval=1ms"
 *   java JvmControl.java allocated PID
 * </pre>
 *
 * {@code agent} loads the agent library into the JVM with the given options (async-profiler treats
 * every load after the first as a command: start, dump, stop) and prints what the agent answered
 * into the file named by its {@code file=} option, if any. {@code allocated} prints the bytes the
 * JVM's live threads have allocated on the heap so far (the sum of
 * {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes} over all threads), read
 * through the JVM's local JMX agent, which the attach API starts when asked.
 */
public final class JvmControl {
    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("agent")) {
            VirtualMachine vm = VirtualMachine.attach(args[1]);
            try {
                vm.loadAgentPath(args[2], args[3]);
            } finally {
                vm.detach();
            }
        } else if (args.length == 2 && args[0].equals("allocated")) {
            VirtualMachine vm = VirtualMachine.attach(args[1]);
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection connection = connector.getMBeanServerConnection();
                com.sun.management.ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(connection,
                        ManagementFactory.THREAD_MXBEAN_NAME, com.sun.management.ThreadMXBean.class);
                long total = 0;
                for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
                    if (bytes > 0) {
                        total += bytes;
                    }
                }
                System.out.println(total);
            }
        } else {
            System.err.println("usage: java JvmControl.java agent PID LIBRARY OPTIONS | allocated PID");
            System.exit(2);
        }
    }

    private JvmControl() {
    }
}
