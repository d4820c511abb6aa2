package cn.kameng.refunddesk.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.springframework.boot.builder.SpringApplicationBuilder;

import cn.kameng.refunddesk.RefundDeskApplication;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;

/**
 * One node of a cluster, as its own JVM: the whole service (job executor on) with the command-line
 * arguments it is given. With {@code -Dnode.seed=<file>} it also opens a dispute on an Alipay order of
 * {@code -Dnode.seed-fen} fen that the merchant accepts, so this node's job executor takes its refund
 * request, and writes the dispute's id to that file. It runs until it is killed.
 */
public final class ClusterNode {

    private ClusterNode() {
    }

    public static void main(String[] args) throws Exception {
        var app = new SpringApplicationBuilder(RefundDeskApplication.class).run(args);
        String seed = System.getProperty("node.seed");
        if (seed != null) {
            TestDisputes given = app.getBean(TestDisputes.class);
            long fen = Long.parseLong(System.getProperty("node.seed-fen", "6800"));
            String orderId = given.order(fen, PaymentChannel.ALIPAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
            String disputeId = given.acceptedDispute(orderId);
            Path tmp = Path.of(seed + ".tmp");
            Files.writeString(tmp, disputeId);
            Files.move(tmp, Path.of(seed));
        }
        System.out.println("NODE READY " + Arrays.toString(args));
    }
}
