using System.Text;
using CodeDoc.Core;
using static CodeDoc.Pipeline.Tests.Snapshot.SnapshotTestHost;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>Decisions made from a file's bytes: binary, LFS pointers, generated and minified code, and decoding.</summary>
public sealed class ContentInspectionTests
{
    private static readonly SnapshotOptions Retain = new() { RetainContent = true };

    [Fact]
    public async Task ReadAsync_NulBytesInATextExtension_IsBinaryByContent()
    {
        var tar = new TarBuilder().File("notes.txt", [.. "looks like text"u8, 0, .. "but is not"u8]).Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.Equal(ExclusionReason.Binary, snapshot.Excluded("notes.txt").Reason);
        Assert.Contains("NUL", snapshot.Excluded("notes.txt").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ManyControlBytes_IsBinary()
    {
        var content = Enumerable.Range(0, 1000).Select(i => (byte)(i % 5 == 0 ? 0x01 : 'a')).ToArray();
        var tar = new TarBuilder().File("blob.txt", content).Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.Equal(ExclusionReason.Binary, snapshot.Excluded("blob.txt").Reason);
        Assert.Contains("20% control bytes", snapshot.Excluded("blob.txt").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TextWithAnUnknownExtension_IsRead()
    {
        var tar = new TarBuilder().File("settings.dat", "key = value\n\tindented\u001b[0m colour\n").Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.Equal(["settings.dat"], snapshot.Paths());
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8WithNulAfterTheSniffWindow_IsBinary()
    {
        var content = Enumerable.Repeat((byte)'a', 10_000).Concat(new byte[] { 0xFF, 0 }).ToArray();
        var tar = new TarBuilder().File("late.txt", content).Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.Equal(ExclusionReason.Binary, snapshot.Excluded("late.txt").Reason);
    }

    [Theory]
    [InlineData("version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n")]
    [InlineData("version https://hawser.github.com/spec/v1\r\noid sha256:4d7a\r\nsize 1\r\n")]
    public async Task ReadAsync_LfsPointer_IsListed(string lfsFile)
    {
        var tar = new TarBuilder().File("assets/video.mp4.txt", lfsFile).Build();

        var snapshot = await ReadTarAsync(tar, new SnapshotOptions { UseBuiltInExclusions = false });

        Assert.Equal(ExclusionReason.LfsPointer, snapshot.Excluded("assets/video.mp4.txt").Reason);
    }

    [Fact]
    public async Task ReadAsync_TextMentioningLfs_IsRead()
    {
        var tar = new TarBuilder().File("docs/lfs.md", "Pointers start with version https://git-lfs.github.com/spec/v1\n").Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.Equal(["docs/lfs.md"], snapshot.Paths());
    }

    [Fact]
    public async Task ReadAsync_Utf8WithBom_DropsTheBom()
    {
        var tar = new TarBuilder().File("bom.cs", [.. Encoding.UTF8.GetPreamble(), .. "class Bom { }\n"u8]).Build();

        var snapshot = await ReadTarAsync(tar, Retain);

        Assert.Equal("class Bom { }\n", snapshot.File("bom.cs").Content);
        Assert.Equal(17, snapshot.File("bom.cs").Bytes);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    public async Task ReadAsync_Utf16WithBom_IsDecoded(string encodingName)
    {
        var encoding = Encoding.GetEncoding(encodingName);
        var tar = new TarBuilder().File("wide.txt", [.. encoding.GetPreamble(), .. encoding.GetBytes("héllo\nwörld 日本\n")]).Build();

        var snapshot = await ReadTarAsync(tar, Retain);

        Assert.Equal("héllo\nwörld 日本\n", snapshot.File("wide.txt").Content);
        Assert.Equal(2, snapshot.File("wide.txt").Lines);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8WithoutNul_FallsBackToLatin1()
    {
        var tar = new TarBuilder().File("legacy.txt", [0x63, 0x61, 0x66, 0xE9, 0x0A]).Build();

        var snapshot = await ReadTarAsync(tar, Retain);

        Assert.Equal("café\n", snapshot.File("legacy.txt").Content);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("one", 1)]
    [InlineData("one\n", 1)]
    [InlineData("one\ntwo", 2)]
    [InlineData("one\r\ntwo\r\n", 2)]
    [InlineData("\n\n\n", 3)]
    public async Task ReadAsync_Lines_AreCountedLikeAnEditor(string text, int lines)
    {
        var tar = new TarBuilder().File("f.txt", text).Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.Equal(lines, snapshot.File("f.txt").Lines);
    }

    [Fact]
    public async Task ReadAsync_OneHugeLine_IsMinifiedByContent()
    {
        var tar = new TarBuilder().File("bundle.js", "/* header */\n" + string.Concat(Enumerable.Repeat("var a=function(){return 1};", 1000))).Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.Equal(ExclusionReason.Minified, snapshot.Excluded("bundle.js").Reason);
        Assert.Contains("average line length", snapshot.Excluded("bundle.js").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_SourceEmbeddingOneLongBlob_IsRead()
    {
        var code = string.Concat(Enumerable.Range(0, 60).Select(i => $"const value{i} = {i};\n"));
        var tar = new TarBuilder().File("icons.ts", code + "export const icon = \"" + new string('A', 100_000) + "\";\n").Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.Equal(["icons.ts"], snapshot.Paths());
    }

    [Theory]
    [InlineData("// Code generated by protoc-gen-go. DO NOT EDIT.\npackage api\n")]
    [InlineData("// <auto-generated/>\nnamespace X;\n")]
    [InlineData("//------------\n// <auto-generated>\n//     This code was generated by a tool.\n// </auto-generated>\nclass X {}\n")]
    [InlineData("# Code generated by tool; DO NOT EDIT.\nx = 1\n")]
    public async Task ReadAsync_GeneratedMarker_IsGenerated(string content)
    {
        var tar = new TarBuilder().File("src/file.txt", content).Build();

        var snapshot = await ReadTarAsync(tar);

        Assert.Equal(ExclusionReason.Generated, snapshot.Excluded("src/file.txt").Reason);
    }

    [Fact]
    public async Task ReadAsync_ListsTurnedOff_KeepsMinifiedButNotBinary()
    {
        var tar = new TarBuilder()
            .File("bundle.js", new string('x', 10_000))
            .File("image.raw", new byte[] { 1, 0, 2, 0 })
            .Build();

        var snapshot = await ReadTarAsync(tar, new SnapshotOptions { UseBuiltInExclusions = false });

        Assert.Equal(["bundle.js"], snapshot.Paths());
        Assert.Equal(ExclusionReason.Binary, snapshot.Excluded("image.raw").Reason);
    }
}
