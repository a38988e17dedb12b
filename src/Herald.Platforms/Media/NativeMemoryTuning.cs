using System.Runtime.InteropServices;

namespace Herald.Platforms.Media;

/// <summary>
/// Lets the native memory SkiaSharp takes for a large image go back to the system once the image is done. glibc's
/// malloc gives a block larger than its threshold (128 KiB) a mapping of its own, returned when freed; but each time
/// such a block is freed it raises the threshold to that block's size, so the next decoded bitmap or encoded image of
/// the same size comes from the heap instead, which keeps it. A worker that had fitted four 20 MB photos held several
/// hundred MB that way. Setting the threshold once fixes it at its default, so every large block stays a mapping.
/// And once a large image is done, <see cref="ReturnFreedMemory"/> hands back what the codecs' many small blocks
/// left free in the heaps of the threads that fitted it, which glibc otherwise keeps for those threads.
/// Only where glibc is the C library (Linux); anywhere else nothing changes.
/// </summary>
internal static class NativeMemoryTuning
{
    private const int MmapThresholdParameter = -3; // M_MMAP_THRESHOLD in glibc's malloc.h

    private const int MmapThresholdBytes = 128 * 1024;

    private static int _applied;

    private static readonly Lazy<MallocTrim?> Trim = new(() => Export<MallocTrim>("malloc_trim"));

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int MallOpt(int parameter, int value);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int MallocTrim(nuint pad);

    /// <summary>Sets glibc's large-block threshold once per process; returns whether it was set now.</summary>
    public static bool KeepLargeBlocksReturnable()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _applied, 1) == 1)
        {
            return false;
        }

        return Export<MallOpt>("mallopt") is { } mallOpt && mallOpt(MmapThresholdParameter, MmapThresholdBytes) == 1;
    }

    /// <summary>Gives the free memory in glibc's heaps back to the system; returns whether there was glibc to ask.</summary>
    public static bool ReturnFreedMemory()
    {
        if (!OperatingSystem.IsLinux() || Trim.Value is not { } trim)
        {
            return false;
        }

        trim(0);
        return true;
    }

    /// <summary>A glibc function; null under another C library (musl), which keeps no such threshold or heaps.</summary>
    private static T? Export<T>(string name)
        where T : Delegate =>
        NativeLibrary.TryLoad("libc.so.6", out var libc) && NativeLibrary.TryGetExport(libc, name, out var address)
            ? Marshal.GetDelegateForFunctionPointer<T>(address)
            : null;
}
