/* Web routes under /app/invoicing, one file per area */
import parties from './routes/parties.js'
import documents from './routes/documents.js'
import pdf from './routes/pdf.js'
import numbering from './routes/numbering.js'

export default function () {
  parties()
  documents()
  pdf()
  numbering()
}
