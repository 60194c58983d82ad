using System.Net;
using Dsh.Hashing;
using Dsh.Serve.Tests.Support;

namespace Dsh.Serve.Tests;

/// <summary><c>dsh serve</c> over an index file that is not a gallery: searches only, the file never written.</summary>
[Collection(ServeCollection.Name)]
public sealed class ServeIndexFileTests(ServeData data)
{
    [Fact]
    public async Task A_multi_index_hash_file_is_served_read_only_and_ranks_as_the_gallery_does()
    {
        using var folder = new TempFolder();
        (string gallery, string photos) = data.NewCopy(folder);
        string indexPath = Path.Combine(folder.Path, "photos.mihx");
        IndexSnapshot codes = Gallery.Load(gallery).Snapshot();
        var index = new MultiIndexHashIndex(codes.CodeLength);
        index.AddRange(codes.Ids, codes.Codes);
        index.Save(indexPath);
        byte[] before = File.ReadAllBytes(indexPath);

        await using ServeProcess serve = await ServeProcess.StartAsync(data.ModelPath, indexPath);
        using var client = new ServeClient(serve.BaseAddress);
        string sketch = TestPaths.Sketches[17];
        Assert.Equal(data.CliSearch(gallery, sketch, 5), await client.RankingAsync(File.ReadAllBytes(sketch), 5));

        using (HttpResponseMessage add = await client.Http.PostAsync("/api/photos", ServeClient.Image(File.ReadAllBytes(Directory.GetFiles(photos, "*.*", SearchOption.AllDirectories)[0]), "image/jpeg")))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, add.StatusCode);
            Assert.Contains("Read-only index", await add.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (HttpResponseMessage remove = await client.Http.DeleteAsync($"/api/photos/{codes.Ids[0]}"))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, remove.StatusCode);
        }
        Assert.Equal(codes.Count, (await client.JsonAsync("/api/status")).GetProperty("count").GetInt32());
        await Task.Delay(2_500); // past the refresh interval of a writable gallery: nothing reads or writes the file
        Assert.Equal(before, File.ReadAllBytes(indexPath));
        Assert.False(File.Exists(indexPath + ".lock"));
    }
}
