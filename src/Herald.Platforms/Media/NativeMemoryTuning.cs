using System.Runtime.InteropServices;

namespace Herald.Platforms.Media;

/// <summary>
/// Lets the native memory SkiaSharp takes for a large image go back to the system once the image is done. glibc's
/// malloc gives a block larger than its threshold (128 KiB) a mapping of its own, returned when freed; but each time
/// such a block is freed it raises the threshold to that block's size, so the next decoded bitmap or encoded image of
/// the same size comes from the heap instead, which keeps it. A worker that had fitted four 20 MB photos held several
/// hundred MB that way. Setting the threshold once fixes it at its default, so every large block stays a mapping.
/// Only where glibc is the C library (Linux); anywhere else nothing changes.
/// </summary>
internal static class NativeMemoryTuning
{
    private const int MmapThresholdParameter = -3; // M_MMAP_THRESHOLD in glibc's malloc.h

    private const int MmapThresholdBytes = 128 * 1024;

    private static int _applied;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int MallOpt(int parameter, int value);

    /// <summary>Sets glibc's large-block threshold once per process; returns whether it was set now.</summary>
    public static bool KeepLargeBlocksReturnable()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _applied, 1) == 1)
        {
            return false;
        }

        if (!NativeLibrary.TryLoad("libc.so.6", out var libc) || !NativeLibrary.TryGetExport(libc, "mallopt", out var address))
        {
            return false; // another C library (musl), which keeps no such threshold
        }

        return Marshal.GetDelegateForFunctionPointer<MallOpt>(address)(MmapThresholdParameter, MmapThresholdBytes) == 1;
    }
}
