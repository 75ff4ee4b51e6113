// Starlette's JSONResponse: the content serialized as compact JSON by the app's
// `application/json` serializer.
import { defaultSerializers, type SerializerRegistry } from '../lib/serializers.js'
import { Response } from './response.js'

export class JSONResponse extends Response {
  static override mediaType: string | undefined = 'application/json'

  override render (content: unknown, serializers: SerializerRegistry = defaultSerializers): string | Uint8Array {
    return serializers.get('application/json')(content)
  }
}
