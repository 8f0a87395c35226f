/*
| File storage. "fs" keeps uploads in storage/uploads (outside public/, never served directly:
| only the authorised file routes stream them). "s3" targets any S3-compatible service.
*/
import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, services } from '@adonisjs/drive'

const fs = services.fs({
  location: app.makePath(app.inTest ? `tmp/uploads-${process.pid}` : 'storage/uploads'),
  serveFiles: false,
  visibility: 'private',
})

const s3 = services.s3({
  credentials: {
    accessKeyId: env.get('S3_ACCESS_KEY_ID', ''),
    secretAccessKey: env.get('S3_SECRET_ACCESS_KEY')?.release() ?? '',
  },
  region: env.get('S3_REGION', 'us-east-1'),
  bucket: env.get('S3_BUCKET', ''),
  endpoint: env.get('S3_ENDPOINT'),
  forcePathStyle: env.get('S3_FORCE_PATH_STYLE', false),
  visibility: 'private',
})

/*
| Drive resolves every configured service at boot; the S3 one loads the AWS SDK (~0.7 s), so it is
| only configured where it is used.
*/
const useS3 = env.get('DRIVE_DISK') === 's3' || Boolean(env.get('S3_BUCKET'))

const driveConfig = defineConfig({
  default: env.get('DRIVE_DISK', 'fs'),
  services: useS3 ? { fs, s3 } : ({ fs } as { fs: typeof fs; s3: typeof s3 }),
})

export default driveConfig

declare module '@adonisjs/drive/types' {
  export interface DriveDisks extends InferDriveDisks<typeof driveConfig> {}
}
