namespace Dsh.Serve.Tests.Support;

/// <summary>A fresh copy of the test gallery served by its own <c>dsh serve</c> process, with a client; disposing stops both and deletes the copy.</summary>
internal sealed class ServedGallery : IAsyncDisposable
{
    private ServedGallery(TempFolder folder, string gallery, string photos, ServeProcess serve)
    {
        Folder = folder;
        Gallery = gallery;
        Photos = photos;
        Serve = serve;
        Client = new ServeClient(serve.BaseAddress);
    }

    public TempFolder Folder { get; }

    /// <summary>The gallery file the server writes.</summary>
    public string Gallery { get; }

    /// <summary>The photos root (added photos go to its uploads/).</summary>
    public string Photos { get; }

    public ServeProcess Serve { get; }

    public ServeClient Client { get; }

    public static async Task<ServedGallery> StartAsync(ServeData data, params string[] extra)
    {
        var folder = new TempFolder();
        try
        {
            (string gallery, string photos) = data.NewCopy(folder);
            return new ServedGallery(folder, gallery, photos, await ServeProcess.StartAsync(data.ModelPath, gallery, extra));
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Serve.DisposeAsync();
        Folder.Dispose();
    }
}
