using System.Runtime.InteropServices;
using Herald.Platforms.Media;

namespace Herald.Platforms.Tests.Media;

public sealed class NativeMemoryTuningTests
{
    [Fact]
    public void ReturnFreedMemory_ReachesGlibc_WhereGlibcIsTheCLibrary()
    {
        var glibc = OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc.so.6", out var libc) && NativeLibrary.TryGetExport(libc, "malloc_trim", out _);

        Assert.Equal(glibc, NativeMemoryTuning.ReturnFreedMemory());
        Assert.Equal(glibc, NativeMemoryTuning.ReturnFreedMemory()); // and again: it may be asked after every large image
    }
}
