package de.tim.homeserver.media;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.MongoGridFSException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.GridFSUploadStream;
import com.mongodb.client.gridfs.model.GridFSFile;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import de.tim.homeserver.domain.DomainStorage;
import de.tim.matrix.error.MatrixException;
import org.bson.types.ObjectId;
import org.springframework.stereotype.Component;

/**
 * {@link MediaStore} in the GridFS bucket {@value #BUCKET} of the domain's database. The bucket's indexes are
 * created when the domain is initialised; one bucket object per database is reused, so the driver checks
 * the indexes once, not on every upload.
 */
@Component
class GridFsMediaStore implements MediaStore, DomainStorage {

    static final String BUCKET = "media_files";
    private static final int CHUNK_SIZE = 255 * 1024;
    private static final int COPY_BUFFER = 64 * 1024;

    private final Map<String, GridFSBucket> buckets = new ConcurrentHashMap<>();

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(BUCKET + ".files").createIndex(Indexes.ascending("filename", "uploadDate"));
        database.getCollection(BUCKET + ".chunks").createIndex(Indexes.ascending("files_id", "n"),
                new IndexOptions().unique(true));
    }

    private GridFSBucket bucket(MongoDatabase database) {
        return buckets.computeIfAbsent(database.getName(), name -> GridFSBuckets.create(database, BUCKET));
    }

    @Override
    public StoredFile store(MongoDatabase database, String name, InputStream in, long maxBytes) throws IOException {
        MessageDigest sha256 = sha256();
        GridFSUploadStream upload = bucket(database).openUploadStream(name,
                new GridFSUploadOptions().chunkSizeBytes(CHUNK_SIZE));
        long length = 0;
        try {
            byte[] buffer = new byte[COPY_BUFFER];
            int n;
            while ((n = in.read(buffer)) != -1) {
                length += n;
                if (length > maxBytes) {
                    throw MatrixException.tooLarge("Cannot upload files larger than " + maxBytes + " bytes");
                }
                sha256.update(buffer, 0, n);
                upload.write(buffer, 0, n);
            }
            upload.close();
        } catch (IOException | RuntimeException | Error e) {
            try {
                upload.abort();
            } catch (RuntimeException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
        return new StoredFile(upload.getObjectId().toHexString(), length, HexFormat.of().formatHex(sha256.digest()));
    }

    @Override
    public InputStream open(MongoDatabase database, String fileId) {
        return bucket(database).openDownloadStream(new ObjectId(fileId));
    }

    @Override
    public void delete(MongoDatabase database, String fileId) {
        try {
            bucket(database).delete(new ObjectId(fileId));
        } catch (MongoGridFSException e) {
            // already gone
        }
    }

    @Override
    public void deleteNamed(MongoDatabase database, String name) {
        GridFSBucket bucket = bucket(database);
        List<ObjectId> ids = new ArrayList<>();
        for (GridFSFile file : bucket.find(Filters.eq("filename", name))) {
            ids.add(file.getObjectId());
        }
        for (ObjectId id : ids) {
            try {
                bucket.delete(id);
            } catch (MongoGridFSException e) {
                // already gone
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
