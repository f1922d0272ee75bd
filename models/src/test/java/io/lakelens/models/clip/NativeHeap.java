package io.lakelens.models.clip;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

/**
 * Bytes in use in glibc's malloc heap (all arenas, mmapped chunks included), which is where
 * PyTorch's CPU allocator gets tensor memory. Unlike RSS it leaves out the Java heap, whose growth
 * until the collector settles would hide or fake a native leak.
 */
public final class NativeHeap {

    /** glibc's {@code struct mallinfo2} (glibc 2.33+): every field is a {@code size_t}. */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
        "uordblks", "fordblks", "keepcost"})
    public static class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;
    }

    interface LibC extends Library {
        MallInfo2 mallinfo2();
    }

    private static final LibC C = Native.load("c", LibC.class);

    private NativeHeap() {}

    /** Allocated bytes: small chunks in the arenas plus chunks served by mmap. */
    public static long inUseBytes() {
        MallInfo2 info = C.mallinfo2();
        return info.uordblks + info.hblkhd;
    }
}
